// JSON Schema of the training-lab file format (lab.ts owns the format and its types): compiled
// ahead of time into lab-validator.generated.ts by `npm run schema` (scripts/validator-source.ts).

const str = { type: 'string', minLength: 1 };
const strs = { type: 'array', items: str };
const target = { type: 'object', additionalProperties: false };
export const labSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['title', 'scenario', 'tasks'],
  properties: {
    title: str,
    scenario: str,
    intro: str,
    tasks: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'prompt', 'checks'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9-]+$' },
          prompt: str,
          hints: strs,
          explanation: str,
          checks: {
            type: 'array',
            minItems: 1,
            items: {
              oneOf: [
                {
                  ...target,
                  required: ['trace'],
                  properties: {
                    trace: { ...target, required: ['from', 'to'], properties: { from: str, to: str, proto: { enum: ['tcp', 'udp', 'icmp'] }, dport: { type: 'integer', minimum: 1, maximum: 65535 } } },
                    disposition: { enum: ['DELIVERED', 'EXITS_NETWORK', 'NO_ROUTE', 'NULL_ROUTED', 'DENIED', 'ARP_FAILED', 'LOOP', 'NO_SERVICE'] },
                    crosses: strs,
                    avoids: strs,
                    crossesEdge: { type: 'boolean' },
                    memberCrosses: strs,
                    scenario: str,
                  },
                },
                { ...target, required: ['routes'], properties: { routes: { ...target, properties: { gateway: str, router: str, component: { enum: ['dr', 'sr'] }, node: str } }, has: strs, lacks: strs, scenario: str } },
                { ...target, required: ['bgp'], properties: { bgp: { ...target, required: ['router'], properties: { router: str, edge: str } }, has: strs, lacks: strs, scenario: str } },
                { ...target, required: ['choice'], properties: { choice: { ...target, required: ['options', 'answer'], properties: { options: { type: 'array', minItems: 2, items: str }, answer: { type: 'integer', minimum: 0 } } } } },
              ],
            },
          },
          solution: { ...target, properties: { variant: str, fail: strs, set: strs, answer: { type: 'integer', minimum: 0 } } },
        },
      },
    },
  },
} as const;
