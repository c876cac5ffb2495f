import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK, POLICY_PACK_NAME } from "./registry";

/**
 * The production guards as a Pulumi policy pack: `pulumi preview --policy-pack policies`. Every policy is
 * mandatory; development stacks downgrade them with `--policy-pack-config policies/config/development.json`.
 * The CLI loads the compiled bin/policies/index.js (`npm run build:policies`), so no TypeScript is checked per run.
 */
new PolicyPack(POLICY_PACK_NAME, POLICY_PACK);
