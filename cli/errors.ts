import { OrchestratorError } from '#lib/errors';

/** A command cannot do what was asked (no such policy, tables not found…); the message says why, in one line. */
export class CliError extends OrchestratorError {}
