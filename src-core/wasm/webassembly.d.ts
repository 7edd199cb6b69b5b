// The part of the WebAssembly JavaScript API that the core uses. Node has all of it (V8's), but @types/node 20
// does not declare it, and the node code compiles without the DOM library, where TypeScript keeps it.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: object);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
