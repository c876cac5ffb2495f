/**
 * Container hardening in the spirit of docker-bench-security section 5, Kyverno's pod-security rules and Checkov's
 * Docker checks, over @pulumi/docker Container inputs. Each function returns the findings for one guard and skips
 * values that are not known yet.
 */
export * from "./container/hostMounts";
export * from "./container/lifecycle";
export * from "./container/ports";
export * from "./container/privileges";
