import type { KubeObject } from './manifest.js';

type Metadata = NonNullable<KubeObject['metadata']>;

/**
 * A custom resource of an operator that has no typed models on npm (CloudNativePG, the RabbitMQ
 * Cluster Operator, the Keycloak operator, OT-Container-Kit's Redis operator): its spec is typed
 * by the minimal interfaces in deploy/src/crds/ (the fields we set, from each operator's
 * documented API), and `validate()` checks what those interfaces cannot (`check`). They are not
 * validated against the operators' CRD schemas: those ship with the operators, not on npm.
 */
export class CustomResource<Spec extends object> implements KubeObject {
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
    readonly metadata: Metadata,
    readonly spec: Spec,
    private readonly check: (spec: Spec) => string[] = () => [],
  ) {}

  validate(): void {
    const problems = this.check(this.spec);
    if (problems.length) throw new Error(problems.join('; '));
  }

  toJSON(): unknown {
    return { apiVersion: this.apiVersion, kind: this.kind, metadata: this.metadata, spec: this.spec };
  }
}
