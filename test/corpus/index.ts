import { CONTAINER_HARDENING, HOSTS_ORIGINS_COOKIES } from "./containers";
import { DATABASE_URLS, BROKERS, LOOPBACK_HOSTS } from "./connections";
import { DEBUG_FLAGS, ENVIRONMENT_NAME_FLAGS } from "./debugFlags";
import { CorpusEntry, hasResourceForm } from "./entry";
import { PLAIN_TEXT_CREDENTIALS, SIGNING_SECRETS } from "./secrets";
import {
    DATA_DIRECTORIES,
    IMAGE_REFERENCES,
    LOOPBACK_DOMAINS,
    PLATFORM_OVERRIDES,
    STACK_SAFETY,
    TRANSPORT_SETTINGS,
} from "./stack";
import { NO_OP_STEPS, QUEUE_RUNNERS } from "./steps";

/** Every unsafe production config of the corpus, one table per class. */
export const CORPUS: readonly CorpusEntry[] = [
    ...DEBUG_FLAGS,
    ...ENVIRONMENT_NAME_FLAGS,
    ...SIGNING_SECRETS,
    ...PLAIN_TEXT_CREDENTIALS,
    ...DATABASE_URLS,
    ...LOOPBACK_HOSTS,
    ...LOOPBACK_DOMAINS,
    ...BROKERS,
    ...PLATFORM_OVERRIDES,
    ...NO_OP_STEPS,
    ...QUEUE_RUNNERS,
    ...TRANSPORT_SETTINGS,
    ...IMAGE_REFERENCES,
    ...DATA_DIRECTORIES,
    ...STACK_SAFETY,
    ...CONTAINER_HARDENING,
    ...HOSTS_ORIGINS_COOKIES,
];

/** The entries the pack must refuse too, by the resources they describe. */
export const DUAL_MODE = CORPUS.filter(hasResourceForm);
