// Types of Framework's standard library as the components import it. Framework provides the module
// `observablehq:stdlib` to pages and components alike; TypeScript does not know the protocol, so this
// declares the part the components use. A component must import FileAttachment from here (not rely on
// the pages' implicit one) for Framework to see, and copy into the built site, the files it names.

declare module "observablehq:stdlib" {
  /** A file of the site, resolved at build time from a literal path relative to the calling module. */
  export interface FileAttachmentHandle {
    readonly name: string;
    /** The file's address in the built site (content-hashed). */
    readonly href: string;
    json(): Promise<unknown>;
    text(): Promise<string>;
  }
  export function FileAttachment(path: string): FileAttachmentHandle;
}
