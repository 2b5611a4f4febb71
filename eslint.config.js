import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.smartpole/**', 'test-artifacts/**', 'simulator/web/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
      // protocols/ is pure: no I/O, no timers (docs/architecture.md §Layers).
    },
  },
  {
    files: ['runtime/**/*.ts', 'device/**/*.ts', 'display/**/*.ts', 'protocols/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/simulator/*', '**/simulator'], message: 'runtime/device/display/protocols never import simulator/ (docs/architecture.md §Layers)' },
          { group: ['**/ops/*', '**/ops'], message: 'runtime/device/display/protocols never import ops/ (docs/architecture.md §Layers)' },
        ],
      }],
    },
  },
  {
    files: ['protocols/**/*.ts'],
    ignores: ['protocols/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['fs', 'node:fs', 'net', 'node:net', 'child_process', 'node:child_process', 'serialport', 'mqtt', 'dgram', 'node:dgram', 'http', 'node:http', 'better-sqlite3'],
        patterns: [{ group: ['**/runtime/*', '**/device/*', '**/display/*', '**/simulator/*', '**/ops/*'], message: 'protocols/ imports nothing of ours (docs/architecture.md §Layers)' }],
      }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate'],
    },
  },
);
