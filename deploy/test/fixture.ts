import { parseAllDocuments } from 'yaml';
import { settingsFromEnv } from '../src/settings.js';
import { synthesize } from '../src/synth.js';
import { renderFiles } from '../src/write.js';

/** A written object, read back from the YAML the synth writes (what kubectl would get). */
export interface Written {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- read-back YAML, checked field by field
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** The defaults, whatever the shell running the tests has set. */
export const settings = settingsFromEnv({});
export const manifests = synthesize(settings);
export const files = renderFiles(manifests);
export const written: Written[] = [...files].flatMap(([file, text]) => parseAllDocuments(text).map((doc) => ({ file, ...(doc.toJS() as Omit<Written, 'file'>) })));

export const ofKind = (kind: string): Written[] => written.filter((object) => object.kind === kind);
export const named = (kind: string, name: string): Written => {
  const found = written.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} was written`);
  return found;
};

/** Pod specs of the objects that run pods, with where they come from. */
export function podSpecs(): { owner: Written; spec: Record<string, any> }[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return written.filter((object) => ['Deployment', 'StatefulSet', 'Job'].includes(object.kind)).map((owner) => ({ owner, spec: owner.spec?.template?.spec }));
}

/** Does a label selector's matchLabels select pods with these labels? */
export const selects = (matchLabels: Record<string, string> | undefined, labels: Record<string, string>): boolean =>
  Object.entries(matchLabels ?? {}).every(([key, value]) => labels[key] === value);
