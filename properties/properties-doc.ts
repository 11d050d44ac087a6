/** docs/properties.md from the catalog: statements, when checked, limits, and the counterexample that shows each can fail. */

import { BREAKERS } from './breakers.ts';
import { dmabufProperties, propertiesOf } from './catalog.ts';
import type { Property } from './property.ts';

function section(p: Property, domain: 'dmabuf' | 'sva'): string[] {
  const breaker = BREAKERS[domain][p.name];
  const elsewhere = BREAKERS[domain === 'sva' ? 'dmabuf' : 'sva'][p.name];
  return [
    `### \`${p.name}\``,
    '',
    p.statement,
    '',
    `- Checked: ${p.checked.join(', ')}.`,
    `- Violation kinds: ${p.kinds.map((k) => `\`${k}\``).join(', ')}.`,
    `- Limits: ${p.limits}`,
    breaker
      ? `- Shown failing: \`${breaker}\` ([counterexample](../counterexamples/${breaker}/${p.name}.json); replay with \`vfio-dmabuf-model replay counterexamples/${breaker}/${p.name}.json\`; see docs/matrix.md).`
      : elsewhere
        ? `- Shown failing: no built-in ${domain === 'sva' ? 'SVA' : 'dma-buf'} design fails it; the same monitors fail on \`${elsewhere}\` ([counterexample](../counterexamples/${elsewhere}/${p.name}.json)).`
        : '- Shown failing: no built-in design fails it; see docs/matrix.md.',
    '',
  ];
}

export function renderPropertiesMarkdown(): string {
  const out = [
    '# The property catalog',
    '',
    'Generated from `properties/` (with docs/matrix.md) by `vfio-dmabuf-model matrix --write`; the tests compare it with the code.',
    '',
    'A property is a claim about every design of its lifecycle. Its monitors run on every execution of every search',
    'mode (random, exhaustive, replay); when a property is checked, only its violation kinds make a counterexample.',
    'In exhaustive mode a monitor-reported violation is noted and the execution goes on, so one search finds every',
    "property's shortest counterexample; violations the model raises itself (use after free, illegal transition,",
    'deadlock) end the execution. A pass holds for the bounds searched and within what the model abstracts (see the',
    'limits, and docs/functions.md).',
    '',
    '## VFIO dma-buf properties',
    '',
    ...dmabufProperties.flatMap((p) => section(p, 'dmabuf')),
    '## SVA / PASID bind properties (docs/sva.md)',
    '',
    ...propertiesOf('sva').flatMap((p) => section(p, 'sva')),
  ];
  return `${out.join('\n').trimEnd()}\n`;
}
