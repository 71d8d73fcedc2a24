// Environment discipline, enforced (VS Code's layering idea, Signal's suffix rule made cheap):
// - `electron` only in main/electron/ and preload/;
// - no Node built-ins and no electron in renderer/ and shared/ (they also compile without Node types).
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'crypto', 'http', 'net', 'stream', 'zlib', 'url', 'util'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', 'test-output/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'electron belongs in main/electron/ and preload/ only.' }] }],
    },
  },
  {
    files: ['main/electron/**', 'preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['renderer/**', 'shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches main only through window.ifcb (preload).' }],
          patterns: [{ group: NODE_BUILTINS, message: 'No Node in renderer/ or shared/: they run in the sandboxed page.' }],
        },
      ],
    },
  },
);
