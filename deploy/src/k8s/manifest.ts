/** Anything the synth writes: kubernetes-models' classes, and the custom resources of crds/. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  validate(): void;
  toJSON(): unknown;
}

/** An object and the file (component) it is written to. */
export interface Manifest {
  component: string;
  object: KubeObject;
}

export const manifestsOf = (component: string, objects: KubeObject[]): Manifest[] => objects.map((object) => ({ component, object }));

// RFC 1123: what the API server accepts for names of most kinds (subdomain; Services and
// Namespaces want a label, at most 63 characters, which this also checks for them).
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME_KINDS = new Set(['Service', 'Namespace']);

/**
 * kubernetes-models checks an object against the API's OpenAPI schema (types, required fields,
 * quantities), which says nothing about names: the API server's rules are checked here.
 */
export function validateManifest(object: KubeObject): void {
  const name = object.metadata?.name ?? '';
  const where = `${object.kind} ${name || '(no name)'}`;
  if (!SUBDOMAIN.test(name) || name.length > 253) throw new Error(`${where}: the name must be a lower-case RFC 1123 subdomain`);
  if (LABEL_NAME_KINDS.has(object.kind) && name.length > 63) throw new Error(`${where}: the name must be at most 63 characters`);
  if (object.kind !== 'Namespace' && !object.metadata?.namespace) throw new Error(`${where}: no namespace`);
  try {
    object.validate();
  } catch (error) {
    throw new Error(`${where} does not validate: ${(error as Error).message}`);
  }
}
