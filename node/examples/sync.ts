import { Client, SyncInputError, type SyncProgress } from 'lpconfig';
import { Emulator } from 'lpconfig/testing';

async function main(): Promise<void> {
  const emu = await Emulator.start();
  const client = new Client(emu.clientOptions());
  try {
    const plan = await client.sync.plan([
      { login_name: 'ravi.kumar', full_name: 'Ravi Kumar', email: 'ravi@example.com', group: 'Support/Billing' },
      { login_name: 'jane.doe', skills: ['Billing', 'VIP'], max_chats: 5 },
    ], { allowMaskedBlank: true }); // the demo account masks full names
    console.log(plan.summary.text, plan.length); // reads the account, writes nothing
    for (const c of plan.changes) console.log(c.kind, c.name, c.fields.map((f) => f.field));
    const report = await client.sync.apply(plan, {
      onProgress: (p: SyncProgress) => console.log(`${p.phase} ${p.done}/${p.total}`),
    });
    console.log(report.outcome, report.verified); // 'done' true: a new plan came out empty
    await client.sync.plan([{ login_name: 'bob', max_chats: 'lots' }]).catch((e: unknown) => {
      if (!(e instanceof SyncInputError)) throw e;
      for (const p of e.errors) console.log(`${p.path}:${p.line}:${p.column}: ${p.message}`);
    });
  } finally {
    await client.close();
    await emu.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
