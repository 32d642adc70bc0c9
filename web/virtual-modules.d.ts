/** The README's example operations, extracted at build time (vite.config.ts). */
declare module 'virtual:readme-examples' {
  const document: string;
  export default document;
}
