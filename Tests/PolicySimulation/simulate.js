// Evaluates IAM requests against a policy with @cloud-copilot/iam-simulate, a real IAM policy
// simulator (AGPL-3.0: a test-only dependency, installed by .ci/run, never shipped or linked into
// the product). Reads {"principal", "policy", "requests": [{"id", "action", "resource", "context",
// "resourcePolicy"?}]} on stdin and writes [{"id", "decision", "ignoredContextKeys", "error"}] on
// stdout. A resourcePolicy stands for the resource's own policy where the service needs one too
// (a KMS key policy).
'use strict';
const { runSimulation } = require('@cloud-copilot/iam-simulate');

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const { principal, policy, requests } = JSON.parse(input);
  const results = [];
  for (const request of requests) {
    const account = request.resource.split(':')[4] || principal.split(':')[4];
    const outcome = await runSimulation({
      request: {
        principal,
        action: request.action,
        resource: { resource: request.resource, accountId: account },
        contextVariables: request.context || {},
      },
      identityPolicies: [{ name: 'deployer', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy,
    }, { simulationMode: 'Strict' });
    if (outcome.resultType === 'error') {
      results.push({ id: request.id, decision: 'Error', ignoredContextKeys: [], error: JSON.stringify(outcome.errors) });
    } else {
      const single = outcome.resultType === 'single' ? outcome.result : outcome.results[0];
      results.push({
        id: request.id,
        decision: outcome.overallResult,
        ignoredContextKeys: (single && single.ignoredContextKeys) || [],
        error: null,
      });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

main().catch((e) => { console.error(e && e.stack ? e.stack : String(e)); process.exit(1); });
