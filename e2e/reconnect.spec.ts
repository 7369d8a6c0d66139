import { expect, test } from './fixtures.js';

test.describe('Event socket', () => {
  test('reconnects after the agent restarts and subscribes to live telemetry again', async ({ rig, shell, readiness }) => {
    await shell.signIn(rig.loginUrl);
    await shell.navItem('readiness').click();
    await readiness.waitForReport();
    const agentLink = shell.page.getByTestId('agent-link');
    await expect(agentLink).toContainText('Live');
    await expect.poll(() => readiness.liveSampleCount(0), { timeout: 10_000 }).toBeGreaterThan(0);

    await rig.stop();
    await expect(agentLink).toContainText('Reconnecting to the agent…');
    const beforeRestart = await readiness.liveSampleCount(0);

    // Same port and token: the tab's token is still good, but the new agent knows no subscriptions.
    await rig.start();
    await expect(agentLink).toContainText('Live', { timeout: 30_000 });
    await expect.poll(() => readiness.liveSampleCount(0), { timeout: 15_000 }).toBeGreaterThan(beforeRestart + 1);
    expect(shell.problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(p)), 'only the expected connection errors while the agent was down').toEqual([]);
  });
});
