// `opentapi hash-secret`: the Argon2id hash of an agent PIN or a token, for
// the configuration (docs/security.md "Secrets at rest", docs/cli.md). The
// secret is read from standard input — never from the command line, where
// other users see it in `ps` and it stays in the shell's history. On a
// terminal it is asked for twice without echo; otherwise the first line is
// taken (a trailing CR/LF removed).
#ifndef OPENTAPI_TOOLS_OPENTAPI_HASH_SECRET_COMMAND_H_
#define OPENTAPI_TOOLS_OPENTAPI_HASH_SECRET_COMMAND_H_

namespace opentapi::cli {

// `token`: the cheaper cost for long random tokens (secrets::kTokenCost),
// else the PIN cost. Prints the hash and a newline on stdout: kExitOk;
// an empty secret, two different entries or end of input: kExitUsage.
int cmd_hash_secret(bool token);

}  // namespace opentapi::cli

#endif  // OPENTAPI_TOOLS_OPENTAPI_HASH_SECRET_COMMAND_H_
