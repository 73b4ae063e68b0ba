/** The part of busboy 1.x (multer's parser, already installed) the upload handler uses. */
declare module 'busboy' {
  import type { Readable, Writable } from 'node:stream';
  import type { IncomingHttpHeaders } from 'node:http';

  interface FileInfo {
    filename: string;
    encoding: string;
    mimeType: string;
  }
  interface FileStream extends Readable {
    truncated: boolean;
  }
  interface BusboyConfig {
    headers: IncomingHttpHeaders;
    limits?: { fileSize?: number; files?: number; fields?: number; parts?: number; fieldSize?: number };
  }
  interface Busboy extends Writable {
    on(event: 'file', listener: (name: string, stream: FileStream, info: FileInfo) => void): this;
    on(event: 'field', listener: (name: string, value: string) => void): this;
    on(event: 'filesLimit' | 'partsLimit' | 'fieldsLimit' | 'close' | 'finish', listener: () => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }
  function busboy(config: BusboyConfig): Busboy;
  export = busboy;
}
