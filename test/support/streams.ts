import { PassThrough } from 'node:stream';

/** A writable stream that keeps everything written, for asserting what a terminal showed. */
export function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
}

/** Input that ends after the given lines, like a script piped into `npm start`. */
export function script(lines: readonly string[]): PassThrough {
  const stream = new PassThrough();
  stream.end(lines.map((l) => `${l}\n`).join(''));
  return stream;
}
