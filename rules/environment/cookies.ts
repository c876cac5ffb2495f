/**
 * SameSite=None cookies. Browsers send such a cookie on requests from every other site, and drop it unless it is
 * also Secure. So SameSite=None needs its cookie's Secure switch on, and for a session cookie (which carries the
 * login, so every other site's requests would act as the user) it is refused unless the stack allows it by name.
 */
import { Finding } from "../finding";
import { Site } from "./site";
import { Environment, isTrue } from "./words";

interface SameSiteSetting {
    /** The variable holding the cookie's SameSite attribute. */
    readonly sameSite: string;
    /** The variable that makes the same cookie Secure. */
    readonly secure: string;
    /** The cookie carries the login. */
    readonly session: boolean;
}

/**
 * Cookie settings by framework: Django (SESSION_, CSRF_, LANGUAGE_COOKIE_*, also DJANGO_-prefixed), Flask
 * (SESSION_COOKIE_* and FLASK_SESSION_COOKIE_* through `from_prefixed_env`), Flask-Login's remember-me cookie,
 * Laravel (SESSION_SAME_SITE, SESSION_SECURE_COOKIE) and Spring Boot's relaxed binding of
 * server.servlet.session.cookie.*.
 */
export const SAMESITE_SETTINGS: readonly SameSiteSetting[] = [
    ...["", "DJANGO_", "FLASK_"].flatMap((prefix) => [
        { sameSite: `${prefix}SESSION_COOKIE_SAMESITE`, secure: `${prefix}SESSION_COOKIE_SECURE`, session: true },
        { sameSite: `${prefix}CSRF_COOKIE_SAMESITE`, secure: `${prefix}CSRF_COOKIE_SECURE`, session: false },
        { sameSite: `${prefix}LANGUAGE_COOKIE_SAMESITE`, secure: `${prefix}LANGUAGE_COOKIE_SECURE`, session: false },
        { sameSite: `${prefix}REMEMBER_COOKIE_SAMESITE`, secure: `${prefix}REMEMBER_COOKIE_SECURE`, session: true },
    ]),
    { sameSite: "SESSION_SAME_SITE", secure: "SESSION_SECURE_COOKIE", session: true },
    {
        sameSite: "SERVER_SERVLET_SESSION_COOKIE_SAME_SITE",
        secure: "SERVER_SERVLET_SESSION_COOKIE_SECURE",
        session: true,
    },
];

export function cookieSameSite(env: Environment, site: Site = {}): Finding[] {
    const findings: Finding[] = [];
    for (const setting of SAMESITE_SETTINGS) {
        if (env[setting.sameSite]?.trim().toLowerCase() !== "none") {
            continue;
        }
        if (!isTrue(env[setting.secure])) {
            findings.push({
                key: setting.sameSite,
                problem: `is None but ${setting.secure} is not on, so browsers drop the cookie or send it over plain HTTP.`,
                fix: `set ${setting.secure}=True, or set ${setting.sameSite}=Lax.`,
            });
        }
        if (setting.session && site.allowCrossSiteSessionCookies !== true) {
            findings.push({
                key: setting.sameSite,
                problem: "is None, so every other web site's requests carry the login (cross-site request forgery).",
                fix: `set ${setting.sameSite}=Lax, or, for a frontend on another site, set webplatform:allowCrossSiteSessionCookies=true (and the pack's app-cookie-samesite allowCrossSiteSessionCookies).`,
            });
        }
    }
    return findings;
}
