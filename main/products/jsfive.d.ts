/** The part of jsfive 0.4.2 (pure-JS HDF5 reader, public domain; ships no types) that class-h5.ts uses. */
declare module 'jsfive' {
  /** `'<f2'`, `'<i4'`… for numbers; `['VLEN_STRING', padding, charset]` for strings; other shapes for compounds. */
  export type Dtype = string | readonly unknown[] | Record<string, unknown>;

  export class Dataset {
    readonly shape: number[] | null;
    readonly dtype: Dtype;
    readonly attrs: Record<string, unknown>;
    /** Row-major, flat. */
    readonly value: unknown[];
  }

  export class Group {
    readonly keys: string[];
    readonly attrs: Record<string, unknown>;
    get(path: string): Dataset | Group;
  }

  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
}
