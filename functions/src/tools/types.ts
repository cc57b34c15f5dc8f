import type { z } from 'zod';

/** MCP tool annotations; every tool states all four. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** How a tool may run: enforced by the API before a job exists and again by the runner. */
export interface ToolPolicy<P> {
  /** Binary the runner executes (resolved to an absolute path at runner start), or null for native tools. */
  binary: string | null;
  /** Debian package that provides the binary, named in NOT_FOUND recovery suggestions. */
  debianPackage: string | null;
  /** The parameter that holds the target; it is checked against the target policy. */
  targetField: keyof P & string;
  /** Whether the target may be a CIDR block. */
  allowCidr: boolean;
  /** Deadline when the call gives none, and the largest one a call may ask for. */
  defaultTimeoutSec: number;
  maxTimeoutSec: number;
}

/**
 * A tool, declared once. Pure data: no I/O and no runtime imports, so the API (any runtime),
 * the runner and the OpenAPI generator all import the same object.
 */
export interface ToolDefinition<P extends z.ZodObject = z.ZodObject, R extends z.ZodObject = z.ZodObject> {
  /** MCP tool name and the {name} in /tools/{name}/execute. */
  name: string;
  title: string;
  /** Written for a model: what it does, typical use. The allowed targets are appended at run time. */
  description: string;
  params: P;
  result: R;
  annotations: ToolAnnotations;
  policy: ToolPolicy<z.infer<P>>;
}

export type AnyToolDefinition = ToolDefinition<z.ZodObject, z.ZodObject>;
