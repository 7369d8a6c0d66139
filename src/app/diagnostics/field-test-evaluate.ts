import type { FieldExpectations } from './field-test-expect.js';
import { AKASH_LABEL } from './field-test-expect.js';
import type { KubeCrd, KubeJob, KubeNamespace, KubeNode, KubePod } from './field-test-kube-json.js';
import type { StepOutcome } from './field-test-model.js';

/** Pure judgements over what kubectl printed; the steps add the command and its output on failure. */

const cond = (conds: { type: string; status: string; reason?: string | undefined; message?: string | undefined }[] | undefined, type: string) => conds?.find((c) => c.type === type);

export function judgeNodes(nodes: KubeNode[]): StepOutcome {
  if (!nodes.length) return { ok: false, summary: 'k3s answers but lists no node yet.', fix: 'Wait a minute and run the field test again; if it stays, attach the report (k3s logs: "riglease stack logs k3s").' };
  const details = nodes.map((n) => {
    const r = cond(n.status?.conditions, 'Ready');
    return `${n.metadata.name}: Ready=${r?.status ?? 'missing'}${r?.reason ? ` (${r.reason}${r.message ? `: ${r.message}` : ''})` : ''}`;
  });
  const ready = nodes.filter((n) => cond(n.status?.conditions, 'Ready')?.status === 'True');
  return ready.length === nodes.length
    ? { ok: true, summary: `k3s is ready: ${nodes.length} node(s) Ready.`, details }
    : { ok: false, summary: `k3s answers, but ${nodes.length - ready.length} of ${nodes.length} node(s) are not Ready.`, details, fix: 'A node that stays NotReady usually lacks its pod network or container runtime: "riglease stack logs k3s" shows why.' };
}

export function judgeCrds(items: KubeCrd[], want: string[]): StepOutcome {
  const details = want.map((name) => {
    const crd = items.find((c) => c.metadata.name === name);
    if (!crd) return `${name}: missing`;
    return `${name}: ${cond(crd.status?.conditions, 'Established')?.status === 'True' ? 'established' : 'not established yet'}`;
  });
  const bad = details.filter((d) => !d.endsWith(': established'));
  return bad.length
    ? { ok: false, summary: `${bad.length} of ${want.length} required resource definitions (CRDs) are missing or not established.`, details, fix: 'The provider and gateway cannot start without these. Attach the report; "riglease stack logs k3s" shows whether k3s applied the manifests.' }
    : { ok: true, summary: `All ${want.length} required resource definitions (CRDs) are established.`, details };
}

export function judgeNamespaces(items: KubeNamespace[], want: FieldExpectations['namespaces']): StepOutcome {
  const details = want.map(({ name, akashLabel }) => {
    const ns = items.find((n) => n.metadata.name === name);
    if (!ns) return `${name}: missing`;
    if (ns.status?.phase && ns.status.phase !== 'Active') return `${name}: ${ns.status.phase}`;
    if (akashLabel && ns.metadata.labels?.[AKASH_LABEL] !== 'true') return `${name}: exists, but without the label ${AKASH_LABEL}=true`;
    return `${name}: ok`;
  });
  const bad = details.filter((d) => !d.endsWith(': ok'));
  return bad.length
    ? { ok: false, summary: `${bad.length} of ${want.length} namespaces are missing or not labelled as Akash expects.`, details, fix: 'Attach the report: these namespaces are created by the stack\'s manifests.' }
    : { ok: true, summary: `All ${want.length} namespaces exist${want.some((n) => n.akashLabel) ? ` with ${AKASH_LABEL}=true where Akash needs it` : ''}.`, details };
}

/** k3s's helm controller installs each HelmChart with the Job `helm-install-<release>` in kube-system. */
export function judgeHelmJobs(jobs: KubeJob[], charts: FieldExpectations['charts']): StepOutcome {
  const details = charts.map(({ release }) => {
    const job = jobs.find((j) => j.metadata.name === `helm-install-${release}`);
    if (!job) return `${release}: install job not started`;
    const st = job.status;
    if ((st?.succeeded ?? 0) > 0 || cond(st?.conditions, 'Complete')?.status === 'True') return `${release}: installed`;
    const failed = cond(st?.conditions, 'Failed');
    if (failed?.status === 'True') return `${release}: install failed${failed.message ? ` (${failed.message})` : ''}`;
    return `${release}: still installing${st?.failed ? ` (${st.failed} failed attempt(s))` : ''}`;
  });
  const bad = details.filter((d) => !d.endsWith(': installed'));
  return bad.length
    ? { ok: false, summary: `${bad.length} of ${charts.length} charts are not installed.`, details, fix: 'A chart still installing after the wait is usually downloading images: run the field test again later. "riglease stack logs <chart>" shows a failed install.' }
    : { ok: true, summary: `All ${charts.length} charts are installed.`, details };
}

function podLine(p: KubePod): { ok: boolean; line: string } {
  const name = `${p.metadata.namespace ?? '?'}/${p.metadata.name}`;
  const phase = p.status?.phase ?? 'Unknown';
  if (phase === 'Succeeded') return { ok: true, line: `${name}: completed` };
  const ready = cond(p.status?.conditions, 'Ready')?.status === 'True';
  if (phase === 'Running' && ready) return { ok: true, line: `${name}: Ready` };
  const waiting = p.status?.containerStatuses?.map((c) => c.state?.waiting ?? (c.state?.terminated ? { reason: `${c.state.terminated.reason ?? 'terminated'} (exit ${c.state.terminated.exitCode ?? '?'})`, message: undefined } : undefined)).find((w) => w?.reason);
  const restarts = p.status?.containerStatuses?.reduce((s, c) => s + (c.restartCount ?? 0), 0) ?? 0;
  const unsched = cond(p.status?.conditions, 'PodScheduled');
  const why = waiting?.reason ? `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}` : unsched?.status === 'False' ? `${unsched.reason ?? 'not scheduled'}${unsched.message ? `: ${unsched.message}` : ''}` : 'not Ready';
  return { ok: false, line: `${name}: ${phase}, ${why}${restarts ? `, restarted ${restarts}×` : ''}` };
}

export function judgePods(pods: KubePod[], namespaces: string[]): StepOutcome {
  const details: string[] = [];
  let bad = 0;
  for (const ns of namespaces) {
    const mine = pods.filter((p) => p.metadata.namespace === ns);
    if (!mine.length) {
      details.push(`${ns}: no pods yet`);
      bad++;
      continue;
    }
    for (const p of mine) {
      const l = podLine(p);
      details.push(l.line);
      if (!l.ok) bad++;
    }
  }
  return bad
    ? { ok: false, summary: `${bad} pod(s) or namespace(s) in ${namespaces.join(', ')} are not ready.`, details, fix: 'ImagePullBackOff = an image cannot be downloaded; CrashLoopBackOff = a program keeps failing ("riglease stack logs <component>"); Pending/Unschedulable = the node lacks what the pod asks for.' }
    : { ok: true, summary: `Every pod of the charts is Ready (${namespaces.join(', ')}).`, details };
}

/** The bid script's answer against `riglease pricing quote` for the same order. */
export function judgeQuotes(script: { exitCode: number | null; stdout: string; stderr: string }, quote: { bid: boolean; price: string | null; reason: string | null; denom: string }): StepOutcome {
  const scriptSays = script.exitCode === 0 ? script.stdout.trim() : `no bid (${script.stderr.trim().split('\n').pop() ?? `exit ${script.exitCode ?? '?'}`})`;
  const quoteSays = quote.bid && quote.price !== null ? quote.price : `no bid (${quote.reason ?? 'no reason given'})`;
  const details = [`bid script in the provider pod: ${scriptSays}`, `riglease pricing quote: ${quoteSays}`, `denom: ${quote.denom}`];
  const same = script.exitCode === 0 && quote.bid && quote.price !== null ? sameDecimal(script.stdout.trim(), quote.price) : script.exitCode !== 0 && !quote.bid;
  return same
    ? { ok: true, summary: `The provider's bid script and "riglease pricing quote" agree: ${quoteSays} ${quote.denom} per block.`, details }
    : { ok: false, summary: `The provider's bid script says ${scriptSays}, "riglease pricing quote" says ${quoteSays}.`, details, fix: 'The price table on the node may be stale: change any price (or run "riglease pricing show") so RigLease rewrites it, then run the field test again; attach the report if they still differ.' };
}

/** "12.50" and "12.5" are the same price; anything not a plain decimal never matches. */
export function sameDecimal(a: string, b: string): boolean {
  const norm = (s: string): string | null => {
    if (!/^\d+(\.\d+)?$/.test(s)) return null;
    const [i = '0', f = ''] = s.split('.');
    return `${i.replace(/^0+(?=\d)/, '')}.${f.replace(/0+$/, '')}`;
  };
  const x = norm(a);
  return x !== null && x === norm(b);
}
