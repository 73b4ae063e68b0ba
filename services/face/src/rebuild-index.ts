import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadFaceConfig } from './config/face.config';
import { faceDataSourceOptions } from './database/face.datasource';
import { VectorIndex } from './index/vector-index';
import { modelVersionOf } from './pipeline/face-models';
import { TemplateRepository } from './templates/template.repository';

const PAGE = 1000;

/**
 * `node services/face/dist/src/rebuild-index.js`: drops the ChromaDB collection of the configured
 * embedding model and fills it again from Postgres, page by page. Run it after losing ChromaDB's
 * volume or when the index and Postgres disagree; identify finds fewer people while it runs.
 */
async function main(): Promise<void> {
  const config = loadFaceConfig();
  const modelVersion = modelVersionOf(config.models.embedding);
  const db = new DataSource(faceDataSourceOptions(config.db.url));
  await db.initialize();
  const templates = new TemplateRepository(db);
  const index = new VectorIndex(config.chroma.url, config.chroma.collectionPrefix, modelVersion);
  const started = Date.now();
  try {
    await index.recreate();
    let after: string | null = null;
    let total = 0;
    for (;;) {
      const page = await templates.pageForRebuild(modelVersion, after, PAGE);
      if (page.length === 0) break;
      await index.upsert(page);
      total += page.length;
      after = page[page.length - 1].id;
    }
    console.log(JSON.stringify({ collection: index.collectionName, modelVersion, templates: total, indexed: await index.count(), ms: Date.now() - started }));
  } finally {
    await db.destroy();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
