/**
 * Names of the stateful parts' Services, as their operators make them from the custom resources'
 * names (CloudNativePG: `<cluster>-rw`; the RabbitMQ Cluster Operator: the cluster's name; the
 * Redis operator: the Redis object's name; the Keycloak operator: `<keycloak>-service`).
 */
export const POSTGRES_CLUSTER = 'fleet-db';
export const POSTGRES_RW_SERVICE = `${POSTGRES_CLUSTER}-rw`;
export const RABBITMQ_CLUSTER = 'fleet-rabbitmq';
export const RABBITMQ_SERVICE = RABBITMQ_CLUSTER;
export const REDIS_NAME = 'fleet-redis';
export const REDIS_SERVICE = REDIS_NAME;
export const KEYCLOAK_NAME = 'fleet-keycloak';
export const KEYCLOAK_SERVICE = `${KEYCLOAK_NAME}-service`;
export const CHROMA_SERVICE = 'chromadb';
