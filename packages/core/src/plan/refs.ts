/** The name a plan uses for a provider; the provider object is bound at run time. */
export type ProviderName = string;
