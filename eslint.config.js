// Type-aware lint for src/ and test/ (typescript-eslint). The rules that matter most here
// are the promise ones: with an asynchronous Store, a forgotten `await` loses evidence.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'postmortems/', 'test/fixtures/', 'src/analyze/goroutines-match-wasm.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.check.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // An async function may implement an async contract without awaiting anything itself.
      '@typescript-eslint/require-await': 'off',
      // Rejecting with an AbortSignal's reason (which is `any`) is how cancellation travels.
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
      // Sanitisers and detectors match control bytes on purpose (ESC, NUL, C0 in tool output).
      'no-control-regex': 'off',
    },
  },
  {
    // Everything gotriage prints goes through the terminal writer (src/core/terminal-writer.ts):
    // it redacts secrets and escapes the terminal controls that data carries.
    files: ['src/**/*.ts'],
    ignores: ['src/core/terminal-writer.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='write'][callee.object.property.name=/^(stdout|stderr)$/]",
          message:
            'write through terminalFor(stream) / stdoutWriter() / stderrWriter() (src/core/terminal-writer.ts): it redacts and escapes',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**'],
    // Tests read the CLI's JSON output (JSON.parse gives any) and assert on its shape.
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
