import ELK from 'elkjs/lib/elk-api';
import workerUrl from 'elkjs/lib/elk-worker.min.js?url';

let instance: InstanceType<typeof ELK> | undefined;

/** ELK in a web worker, so a layout never blocks the page; made on first use. */
export async function workerElk(): Promise<InstanceType<typeof ELK>> {
  instance ??= new ELK({ workerUrl });
  return instance;
}
