// The files of docs/getting-started.md, as the page writes them: every ```ts block that a
// line naming its file introduces ("… `plan.ts`:"). The consumer test and the docs test
// use this one reader, so the page and what is tested cannot drift apart.
export function extractGettingStartedFiles(markdown) {
  const files = {};
  const pattern = /`([\w-]+\.ts)`:\s*\n+```ts\n([\s\S]*?)```/g;
  for (const match of markdown.matchAll(pattern)) files[match[1]] = match[2];
  for (const name of ['plan.ts', 'dry-run.ts', 'providers.ts']) {
    if (!files[name]) throw new Error(`docs/getting-started.md no longer shows ${name}`);
  }
  return files;
}
