/** port-in-use: the service cannot bind its port because another process listens on it. */

import type { Rule } from "../rule-kit/rule.ts";
import { readPort } from "./port-forms.ts";

const port = { port: (line: string) => readPort(line) };

/** The rule, with bind failures as Node, Python (uvicorn, gunicorn, werkzeug), nginx, Go, Java, Ruby and Redis print them. */
export const portInUse: Rule = {
  id: "port-in-use",
  meaning: "another process already listens on the service's port",
  triggers: [
    { runtime: "any", pattern: /\bEADDRINUSE\b|\bErrno::EADDRINUSE\b/, read: port },
    { runtime: "any", pattern: /\baddress (?:already )?in use\b|\bAddrInUse\b/i, read: port },
    // gunicorn: "Connection in use: ('0.0.0.0', 8000)"; Spring Boot: "Port 8080 was already in use.";
    // werkzeug: "Port 5000 is in use by another program."
    {
      runtime: "any",
      pattern: /\bConnection in use\b|\bport \d{1,5} (?:was|is) (?:already )?in use\b/i,
      read: port,
    },
    { runtime: "python", pattern: /\[Errno (?:98|48)\]/, read: port },
    // Django "That port is already in use."; Bun "Is port 3000 in use?"; MySQL "another mysqld server
    // running on port: 3306"; PostgreSQL "Is another postmaster already running on port 5432?"
    {
      runtime: "any",
      pattern:
        /\bThat port is already in use\b|\bIs port \d{1,5} in use\b|\banother \S+ (?:server )?(?:already )?running on port\b/i,
      read: port,
    },
    // uWSGI: "probably another instance of uWSGI is running on the same address (:8000)."
    { runtime: "any", pattern: /\bis running on the same address\b/, read: port },
    // Tomcat / Jetty / Netty: "Failed to bind to 0.0.0.0/0.0.0.0:8080" above "BindException: Address already in use"
    { runtime: "any", pattern: /\bFailed to bind to\b|\bBindException\b/, read: port },
  ],
  planner: () => import("./port-in-use-plan.ts").then((m) => m.planPortInUse),
  words: () => import("./port-in-use-plan.ts").then((m) => m.words),
  verify: { errorGone: true },
  maxPerHour: 3,
};
