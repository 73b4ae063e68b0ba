import yazl from 'yazl';

export interface ZipFileSpec {
  name: string;
  data: Buffer;
  compress?: boolean;
}

/**
 * Builds a ZIP in memory with yazl. yazl itself refuses `..` and absolute names, so such names are
 * written under a same-length stand-in and patched into the bytes afterwards (names are not
 * covered by any checksum), which is what a hostile archive looks like.
 */
export async function buildZip(files: readonly ZipFileSpec[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const patches: Array<[string, string]> = [];
  files.forEach((file, i) => {
    let name = file.name;
    if (name.includes('..') || name.startsWith('/')) {
      const standIn = `s${i}`.padEnd(name.length, 'x').slice(0, name.length);
      patches.push([standIn, name]);
      name = standIn;
    }
    zip.addBuffer(file.data, name, { compress: file.compress ?? true });
  });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  let bytes = Buffer.concat(chunks);
  for (const [from, to] of patches) bytes = Buffer.from(bytes.toString('latin1').split(from).join(to), 'latin1');
  return bytes;
}
