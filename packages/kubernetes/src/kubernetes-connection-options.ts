/** Connect with a kubeconfig: the default loading rules (`KUBECONFIG`, `~/.kube/config`, in-cluster) or a given file. */
export interface KubeconfigConnectionOptions {
  kubeconfig: {
    /** A kubeconfig file; default: the client's default loading rules. */
    file?: string;
    /** The context to use; default: the kubeconfig's current context. */
    context?: string;
  };
}

/** Connect to an API server with a bearer token, e.g. a service account's. */
export interface TokenConnectionOptions {
  /** The API server URL, e.g. `https://10.0.0.1:6443`. */
  server: string;
  /** The bearer token. Kept in memory only; never logged or put in an error. */
  token: string;
  /** The cluster's CA certificate, PEM encoded then base64 (kubeconfig `certificate-authority-data`). */
  caData?: string;
  /**
   * Skip verifying the server's certificate. The client also requires it for a
   * plain `http://` server (the emulator). Default false.
   */
  skipTlsVerify?: boolean;
  /** A name for the cluster in errors and reports; default `cluster`. */
  name?: string;
}

/** Where the cluster is and how to authenticate to it. */
export type KubernetesConnectionOptions = KubeconfigConnectionOptions | TokenConnectionOptions;
