// Lint for every project. Module boundaries (who may import whom) are checked on the Nx
// project graph by tools/check-boundaries.mjs, which `npm run lint` runs after ESLint.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.nx/**', '.dev/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      // TypeORM's entity and migration lists are typed `Function[]`; we pass them through as is.
      '@typescript-eslint/no-unsafe-function-type': 'off',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/services/*/**', '@fleet/base', '@fleet/base/*'], message: 'Services never import each other; share through libs/.' },
            { group: ['**/libs/*/src/**', '@fleet/*/src/**'], message: 'Import a lib by its alias (@fleet/<lib>), never by path.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
  },
);
