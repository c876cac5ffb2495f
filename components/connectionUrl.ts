import * as pulumi from "@pulumi/pulumi";
import { ConnectionParts, formatConnectionUrl } from "../rules/connectionUrl";

/** A connection URL built from outputs; always a Pulumi secret because it carries the password. */
export function secretConnectionUrl(parts: {
    readonly scheme: ConnectionParts["scheme"];
    readonly username: pulumi.Input<string>;
    readonly password: pulumi.Input<string>;
    readonly host: pulumi.Input<string>;
    readonly port: pulumi.Input<number>;
    readonly database: pulumi.Input<string>;
}): pulumi.Output<string> {
    return pulumi.secret(
        pulumi
            .all([parts.username, parts.password, parts.host, parts.port, parts.database])
            .apply(([username, password, host, port, database]) =>
                formatConnectionUrl({ scheme: parts.scheme, username, password, host, port, database }),
            ),
    );
}
