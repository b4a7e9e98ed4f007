import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { parseSimArgs, UsageError } from '../../src/sim/sim-command.js';

describe('sim command flags', () => {
  it('parses every flag, in both --flag value and --flag=value forms', () => {
    const parsed = parseSimArgs([
      '--port',
      '0',
      '--host=127.0.0.1',
      '--nodes',
      '50',
      '--pods=1500',
      '--seed',
      '7',
      '--kubeconfig-out',
      '/tmp/kc',
      '--audit-log',
      '/tmp/audit',
      '--token',
      't',
      '--heartbeat-interval',
      '0',
      '--no-tls',
      '--churn-pods-per-second',
      '2',
    ]);
    expect(parsed).toEqual({
      help: false,
      kubeconfigOut: '/tmp/kc',
      sim: {
        port: 0,
        host: '127.0.0.1',
        nodes: 50,
        pods: 1500,
        seed: 7,
        auditLogPath: '/tmp/audit',
        token: 't',
        heartbeatIntervalMs: 0,
        tls: false,
        churn: { podsPerSecond: 2 },
      },
    });
    expect(parseSimArgs(['--help']).help).toBe(true);
  });

  it.each([
    [['--bogus'], 'unknown flag: --bogus'],
    [['--nodes', 'many'], '--nodes needs an integer, got "many"'],
    [['--nodes'], '--nodes needs an integer, got nothing'],
    [['--port', '70000'], '--port must be <= 65535'],
    [['--pods', '-1'], '--pods must be >= 0'],
  ])('rejects %j with a one-line reason', (argv, message) => {
    expect(() => parseSimArgs(argv)).toThrow(UsageError);
    expect(() => parseSimArgs(argv)).toThrow(message);
  });
});

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const fixture = join(process.cwd(), 'test', 'sim', 'fixtures', 'run-sim.ts');

describe('kube-node-gateway sim', () => {
  it('prints its URL, writes a kubeconfig and an audit log, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const audit = join(dir, 'audit.jsonl');
    const child = spawn(
      tsx,
      [
        fixture,
        '--port',
        '0',
        '--nodes',
        '5',
        '--pods',
        '40',
        '--seed',
        '1',
        '--kubeconfig-out',
        kubeconfig,
        '--audit-log',
        audit,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (l) => {
        lines.push(l);
        if (l.startsWith('kubeconfig written')) resolve();
      });
      child.on('exit', () => reject(new Error(`exited early: ${lines.join('\n')}`)));
    });
    expect(lines[0]).toMatch(/^simulated Kubernetes API server listening on https:\/\/127\.0\.0\.1:\d+$/);
    const text = readFileSync(kubeconfig, 'utf8');
    expect(text).toContain('certificate-authority-data:');
    const token = /token: "([^"]+)"/.exec(text)![1]!;
    const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(text)![1]!, 'base64').toString();
    const url = lines[0]!.split(' ').at(-1)!;
    const status = await new Promise<number>((resolve, reject) => {
      get(`${url}/api/v1/nodes`, { ca, headers: { Authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(JSON.parse(readFileSync(audit, 'utf8').trim().split('\n').at(-1)!)).toMatchObject({
      verb: 'list',
      resource: 'nodes',
      code: 200,
    });
  }, 20_000);

  it('exits with code 2 and a one-line reason on a bad flag', async () => {
    const child = spawn(tsx, [fixture, '--nodes', 'x'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'kube-node-gateway sim: --nodes needs an integer, got "x" (see --help)',
    ]);
  }, 20_000);
});
