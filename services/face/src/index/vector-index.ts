import { ChromaClient, ChromaNotFoundError, Collection } from 'chromadb';
import { ChromaQuery } from './chroma-query';

export interface IndexedVector {
  id: string;
  personId: string;
  embedding: ArrayLike<number>;
}

export interface VectorHit {
  id: string;
  personId: string;
  /** Cosine similarity (1 - Chroma's cosine distance). */
  similarity: number;
}

function clientFor(url: string): ChromaClient {
  const parsed = new URL(url);
  const ssl = parsed.protocol === 'https:';
  return new ChromaClient({ host: parsed.hostname, port: Number(parsed.port || (ssl ? 443 : 80)), ssl });
}

/**
 * The search copy of the templates in a ChromaDB server: one collection per embedding model
 * (`<prefix>_<model digest>`), cosine space, vectors always passed in (no embedding function).
 * Postgres stays the source of truth; everything here can be rebuilt from it.
 */
export class VectorIndex {
  private readonly client: ChromaClient;
  private readonly search: ChromaQuery;
  private collection?: Promise<Collection>;

  readonly collectionName: string;

  constructor(
    url: string,
    private readonly prefix: string,
    modelVersion: string,
  ) {
    this.client = clientFor(url);
    this.search = new ChromaQuery(new URL(url));
    this.collectionName = `${prefix}_${modelVersion.split('@').pop()}`;
  }

  private open(): Promise<Collection> {
    this.collection ??= this.client
      .getOrCreateCollection({ name: this.collectionName, embeddingFunction: null, configuration: { hnsw: { space: 'cosine' } } })
      .catch((error: unknown) => {
        // Not cached, so the next call tries again once the server is back.
        this.collection = undefined;
        throw error;
      });
    return this.collection;
  }

  /**
   * Runs `work` on the collection. When the collection was dropped under us (the rebuild command
   * recreates it while instances run), the stale handle is forgotten and the work runs once more
   * on the new one.
   */
  private async withCollection<T>(work: (collection: Collection) => Promise<T>): Promise<T> {
    try {
      return await work(await this.open());
    } catch (error) {
      if (!(error instanceof ChromaNotFoundError)) throw error;
      this.collection = undefined;
      return work(await this.open());
    }
  }

  async heartbeat(): Promise<void> {
    await this.client.heartbeat();
  }

  async upsert(vectors: IndexedVector[]): Promise<void> {
    if (vectors.length === 0) return;
    await this.withCollection((collection) =>
      collection.upsert({
        ids: vectors.map((v) => v.id),
        embeddings: vectors.map((v) => Array.from(v.embedding)),
        metadatas: vectors.map((v) => ({ person_id: v.personId })),
      }),
    );
  }

  async query(embedding: ArrayLike<number>, n: number): Promise<VectorHit[]> {
    const result = await this.withCollection((collection) => this.search.query(collection, embedding, n));
    return result.ids[0].map((id, i) => ({
      id,
      personId: String(result.metadatas[0][i]?.person_id ?? ''),
      similarity: 1 - (result.distances[0][i] ?? 2),
    }));
  }

  async idsOfPerson(personId: string): Promise<string[]> {
    return (await this.withCollection((collection) => collection.get({ where: { person_id: personId }, include: [] }))).ids;
  }

  /** Deletes the person's vectors from this collection and from those of earlier models (same prefix). */
  async deletePerson(personId: string): Promise<void> {
    await this.withCollection((collection) => collection.delete({ where: { person_id: personId } }));
    const others = (await this.client.listCollections()).filter((c) => c.name.startsWith(`${this.prefix}_`) && c.name !== this.collectionName);
    for (const other of others) await other.delete({ where: { person_id: personId } });
  }

  async deleteIds(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.withCollection((collection) => collection.delete({ ids }));
  }

  async count(): Promise<number> {
    return this.withCollection((collection) => collection.count());
  }

  /** Drops the collection and creates it empty (the rebuild command). */
  async recreate(): Promise<void> {
    await this.client.deleteCollection({ name: this.collectionName }).catch(() => undefined);
    this.collection = undefined;
    await this.open();
  }
}
