import { spawn } from 'node:child_process';

export interface ToolResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a command-line tool without a shell (arguments are never parsed), feeding `input` on
 * stdin; rejects with the tail of stderr when it exits non-zero, cannot start, or runs past
 * `timeoutMs` (then it is killed).
 */
export function runTool(command: string, args: string[], options: { input?: string; timeoutMs?: number; cwd?: string } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stderrBytes = 0;
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      // Keep a bounded tail: ffmpeg can write a lot of progress.
      stderr.push(chunk);
      stderrBytes += chunk.length;
      while (stderrBytes > 64 * 1024 && stderr.length > 1) stderrBytes -= stderr.shift()!.length;
    });
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${command} could not start: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result = { stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
      if (code === 0) resolve(result);
      else reject(new Error(`${command} ${signal ? `was killed (${signal})` : `exited with ${code}`}: ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
