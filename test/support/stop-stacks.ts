/**
 * Setup of the integration project (local stacks in a shared worker): when a file ends, every stack it
 * left running is stopped (a test that timed out never reached its `afterAll`'s stop), as the end of its
 * own process did when each file had one.
 */
import { afterAll } from 'vitest';
import { stopRunningStacks } from '#local/stack';

afterAll(() => stopRunningStacks());
