/**
 * The layer check (`npm run layers`, run by .ci/run). ARCHITECTURE.md explains the layers;
 * this file enforces them. Imports point down only:
 *
 *   cli → engine | demo → collect | analyze | verify | debug | report → playbook | store | exec | prompt → core
 *
 * Siblings of one layer do not import each other, with the sideways edges listed in
 * SIDEWAYS (each with its reason). Type-only imports count: a type is a dependency too.
 */
const LAYERS = [
  ['cli'],
  ['engine', 'demo'],
  ['collect', 'analyze', 'verify', 'debug', 'report'],
  ['playbook', 'store', 'exec', 'prompt'],
  ['core'],
];

/** Allowed imports between siblings of one layer: [from, to, why]. */
const SIDEWAYS = [
  // A hypothesis check gathers its own fresh evidence and reads it (design.md: verify).
  ['verify', 'collect', 'a check gathers fresh evidence'],
  ['verify', 'analyze', 'a check reads the evidence it gathered'],
];

const folder = (name) => `^src/${name}/`;
const rules = [];
LAYERS.forEach((layer, rank) => {
  const above = LAYERS.slice(0, rank).flat();
  for (const name of layer) {
    if (above.length > 0) {
      rules.push({
        name: `${name}-imports-upward`,
        comment: `${name} may not import ${above.join(', ')}: layers point down (ARCHITECTURE.md)`,
        severity: 'error',
        from: { path: folder(name) },
        to: { path: `^src/(${above.join('|')})/` },
      });
    }
    const allowed = SIDEWAYS.filter(([from]) => from === name).map(([, to]) => to);
    const siblings = layer.filter((other) => other !== name && !allowed.includes(other));
    if (siblings.length > 0) {
      rules.push({
        name: `${name}-imports-sibling`,
        comment: `${name} may not import ${siblings.join(', ')}: siblings of one layer stay apart (ARCHITECTURE.md lists the allowed sideways edges)`,
        severity: 'error',
        from: { path: folder(name) },
        to: { path: `^src/(${siblings.join('|')})/` },
      });
    }
  }
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle makes two modules one: load order, tests and reasoning all suffer.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'only-layered-folders',
      comment: 'Every module lives in one of the layer folders (src/<layer>/…), so the rules above see it.',
      severity: 'error',
      from: {},
      to: { path: '^src/[^/]+$' },
    },
    ...rules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
