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
    files: ['runtime/**/*.ts', 'protocols/**/*.ts'],
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
    // Drivers and drawing sit below the runtime: they never reach up into it, nor into the
    // simulator or the ops client (docs/architecture.md §Layers). Tests included.
    files: ['device/**/*.ts', 'display/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/runtime/*', '**/runtime'], message: 'device/ and display/ never import runtime/ (docs/architecture.md §Layers)' },
          { group: ['**/simulator/*', '**/simulator'], message: 'device/ and display/ never import simulator/ (docs/architecture.md §Layers)' },
          { group: ['**/ops/*', '**/ops'], message: 'device/ and display/ never import ops/ (docs/architecture.md §Layers)' },
        ],
      }],
    },
  },
  {
    // Shared helpers every layer may use: they import nothing of ours.
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['../*', '**/runtime/*', '**/device/*', '**/display/*', '**/protocols/*', '**/simulator/*', '**/ops/*'], message: 'lib/ imports nothing of ours (docs/architecture.md §Layers)' }],
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
  {
    // The operations console's browser scripts (docs/ops-console.md §Pages): plain ES2022 in the browser.
    files: ['ops/serve/web/**/*.js'],
    languageOptions: { sourceType: 'script', globals: Object.fromEntries(['window', 'document', 'location', 'fetch', 'EventSource', 'CustomEvent', 'FormData', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'console', 'Image', 'URL', 'Blob', 'requestAnimationFrame', 'HTMLElement'].map((g) => [g, 'readonly'])) },
  },
);
