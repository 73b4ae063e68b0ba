import type { IIoK8sApiCoreV1EnvVar } from 'kubernetes-models/v1/EnvVar';
import type { DeploySettings } from '../settings.js';
import { SECRETS, fleetSecret, secretEnv } from '../security/secrets.js';
import { POSTGRES_RW_SERVICE, RABBITMQ_SERVICE, REDIS_SERVICE, KEYCLOAK_SERVICE, CHROMA_SERVICE } from '../state/names.js';
import { objectStoreEnv } from '../state/storage.js';

const plain = (name: string, value: string): IIoK8sApiCoreV1EnvVar => ({ name, value });
const field = (name: string, fieldPath: string): IIoK8sApiCoreV1EnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });

/** `<SERVICE>_DB_PASSWORD`: the key of fleet-secrets holding a service's database password (compose's name). */
export function dbPasswordKey(service: string): `${string}_DB_PASSWORD` {
  return `${service.toUpperCase()}_DB_PASSWORD`;
}

/**
 * compose's `x-service-env`, as the cluster names things. Passwords inside URLs come from
 * variables defined earlier in the list (`$(VAR)` is expanded by the kubelet, never written here).
 */
function commonEnv(settings: DeploySettings, service: string): IIoK8sApiCoreV1EnvVar[] {
  const passwordKey = dbPasswordKey(service);
  if (!(SECRETS.fleet.keys as readonly string[]).includes(passwordKey)) throw new Error(`${passwordKey} is not a key of ${SECRETS.fleet.name}`);
  return [
    // Pod names are unique and match INSTANCE_ID's [a-z0-9-]: log lines and metrics name the pod.
    field('INSTANCE_ID', 'metadata.name'),
    plain('NODE_ENV', 'production'),
    plain('PORT', '3000'),
    plain('LOG_LEVEL', 'info'),
    plain('REDIS_URL', `redis://${REDIS_SERVICE}:6379`),
    secretEnv('RABBITMQ_USER', SECRETS.rabbitmq, 'username'),
    secretEnv('RABBITMQ_PASSWORD', SECRETS.rabbitmq, 'password'),
    plain('RABBITMQ_URL', `amqp://$(RABBITMQ_USER):$(RABBITMQ_PASSWORD)@${RABBITMQ_SERVICE}:5672`),
    plain('KEYCLOAK_URL', `${settings.publicUrl}/keycloak`),
    plain('KEYCLOAK_REALM', 'fleet'),
    plain('KEYCLOAK_CLIENT_ID', 'fleet-api'),
    fleetSecret(passwordKey as Parameters<typeof fleetSecret>[0]),
    plain('DATABASE_URL', `postgres://svc_${service}:$(${passwordKey})@${POSTGRES_RW_SERVICE}:5432/fleet`),
  ];
}

/**
 * base and video provision robot and drone clients through Keycloak's Admin REST API as the realm's
 * `fleet-provisioner`; compose hands its secret to every service, the cluster only to these two.
 */
const provisioner = (): IIoK8sApiCoreV1EnvVar[] => [
  plain('KEYCLOAK_PROVISIONER_CLIENT_ID', 'fleet-provisioner'),
  fleetSecret('KEYCLOAK_PROVISIONER_SECRET'),
  // Keycloak's own address: the gateway refuses /keycloak/admin to everyone.
  plain('KEYCLOAK_PROVISIONER_URL', `http://${KEYCLOAK_SERVICE}:8080/keycloak`),
];

/** What each process kind reads on top of the common variables (compose.yml, service by service). */
function ownEnv(settings: DeploySettings, workload: string): IIoK8sApiCoreV1EnvVar[] {
  const visionDirs = [plain('VISION_MEDIA_DIR', '/data/vision-media'), plain('VISION_MODEL_CACHE_DIR', '/data/vision-models'), ...objectStoreEnv(settings, workload)];
  const translator = [
    plain('TRANSLATOR_STORAGE_DIR', '/data/translator'),
    ...objectStoreEnv(settings, workload),
    plain('TRANSLATOR_MAX_UPLOAD_BYTES', '524288000'),
    plain('TRANSLATOR_STT_ENGINE', 'pocketsphinx'),
    plain('TRANSLATOR_MT_ENGINE', 'apertium'),
    plain('TRANSLATOR_TTS_ENGINE', 'espeak'),
    fleetSecret('OPENAI_API_KEY'),
    fleetSecret('LIBRETRANSLATE_API_KEY'),
  ];
  switch (workload) {
    case 'base':
      return [...provisioner(), fleetSecret('BOARDING_SIGNING_KEY'), plain('BOARDING_LIVENESS', 'off')];
    case 'store':
      return [plain('STORE_TIMEZONE', 'UTC'), fleetSecret('STORE_EXPORT_WEBHOOK_SECRET')];
    case 'face':
      return [plain('CHROMA_URL', `http://${CHROMA_SERVICE}:8000`), plain('FACE_MATCH_THRESHOLD', '0.5')];
    case 'video':
      // API, live feed and playback; playback is proxied to the ingest pod that has the stream.
      return [...provisioner(), plain('VIDEO_INGEST_INSTANCE', 'none'), plain('VIDEO_RECORDINGS_DIR', '/data/recordings')];
    case 'video-ingest':
      return [
        ...provisioner(),
        // Every ingest pod owns the RTMP port of its own network namespace.
        plain('VIDEO_INGEST_INSTANCE', '*'),
        field('POD_NAMESPACE', 'metadata.namespace'),
        // The StatefulSet's stable name: API pods proxy a stream's playback to its owner.
        plain('VIDEO_ADVERTISE_URL', 'http://$(INSTANCE_ID).video-ingest.$(POD_NAMESPACE).svc.cluster.local:3000'),
        plain('VIDEO_RECORDINGS_DIR', '/data/recordings'),
        plain('RTMP_PORT', '1935'),
      ];
    case 'vision':
      // Fontconfig (labels drawn on annotated images) caches under XDG_CACHE_HOME: the root filesystem is read-only.
      return [...visionDirs, plain('XDG_CACHE_HOME', '/tmp/.cache')];
    case 'vision-worker':
      // Fewer glibc malloc arenas for libvips' and ONNX runtime's threads (bench:vision: 246 MB instead of ~310 MB peak).
      return [...visionDirs, plain('MALLOC_ARENA_MAX', '2'), plain('XDG_CACHE_HOME', '/tmp/.cache')];
    case 'translator':
    case 'translator-worker':
      return translator;
    default:
      throw new Error(`No environment for ${workload}: add it to deploy/src/fleet/env.ts (mirror compose.yml)`);
  }
}

export function serviceEnv(settings: DeploySettings, workload: string, service: string): IIoK8sApiCoreV1EnvVar[] {
  return [...commonEnv(settings, service), ...ownEnv(settings, workload)];
}

/** The migration's: the service's own variables plus the superuser that provisions its role and schema. */
export function migrateEnv(settings: DeploySettings, service: string): IIoK8sApiCoreV1EnvVar[] {
  return [
    ...serviceEnv(settings, service, service),
    secretEnv('POSTGRES_USER', SECRETS.postgresSuperuser, 'username'),
    secretEnv('POSTGRES_PASSWORD', SECRETS.postgresSuperuser, 'password'),
    plain('DATABASE_ADMIN_URL', `postgres://$(POSTGRES_USER):$(POSTGRES_PASSWORD)@${POSTGRES_RW_SERVICE}:5432/postgres`),
  ];
}
