/**
 * util-vserver habits of the CLI without a kernel: vserver-stat's fixed columns, vps's
 * CONTEXT column, status lines, the leading -s/-v options, the exit codes, and suexec's
 * user lookup in a guest's passwd/group texts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { leadingOptions } from "./cli-output";
import { EXIT, exitCodeOf } from "./exit-codes";
import { runningStatusLines, STAT_HEADER, statLine } from "./format";
import { addColumns, addContextColumn, contextCell, CONTEXT_WIDTH } from "./vps-command";
import { parseGuestUser } from "../ops/exec/guest-user";

describe("vserver-stat's fixed columns", () => {
  it("puts every field where util-vserver's header has it", () => {
    const line = statLine("42", ["1", "1.5M", "145", "0m00s00", "0m00s00", "2m56s60"], "test0");
    assert.equal(line, "42       1   1.5M    145   0m00s00   0m00s00   2m56s60 test0");
    // Each right-aligned field ends where its title ends; the name starts where NAME does.
    for (const title of ["PROC", "VSZ", "RSS", "userTIME", "sysTIME", "UPTIME"]) {
      const end = STAT_HEADER.indexOf(title) + title.length;
      assert.equal(line[end - 1] !== " " && line[end] === " ", true, `${title} ends at ${end}`);
    }
    assert.equal(line.indexOf("test0"), STAT_HEADER.indexOf("NAME"));
    assert.equal(statLine("0", ["37", "43.8M", "4.6K", "0m37s86", "0m22s52", "13h00m44"], "root server").indexOf("root server"), 55);
  });

  it("pushes the rest right when a field is too wide, keeping a space", () => {
    const line = statLine("49151", ["123456", "1023.9G", "1023.9G", "123d04h05", "1d00h00", "1d00h00"], "big");
    assert.deepEqual(line.split(/\s+/), ["49151", "123456", "1023.9G", "1023.9G", "123d04h05", "1d00h00", "1d00h00", "big"]);
  });
});

describe("vps's CONTEXT column", () => {
  it("is 20 wide after PID, the id right-aligned in 5, whatever the names", () => {
    assert.equal(contextCell(100, "web"), "  100 web           ");
    assert.equal(contextCell(0, "MAIN").length, CONTEXT_WIDTH);
    const ps = "  PID TTY      STAT   TIME COMMAND\n    1 ?        Ss     0:05 /sbin/init\n  250 ?        S      0:00 init\n";
    const out = addContextColumn(ps, (pid) => (pid === 250 ? contextCell(100, "web") : contextCell(0, "MAIN")));
    assert.equal(
      out,
      "  PID CONTEXT              TTY      STAT   TIME COMMAND\n    1     0 MAIN           ?        Ss     0:05 /sbin/init\n  250   100 web            ?        S      0:00 init\n",
    );
  });

  it("leaves output without PID alone and adds VUID after CONTEXT on request", () => {
    assert.equal(addContextColumn("COMMAND\ninit\n", () => "x"), "COMMAND\ninit\n");
    const two = addColumns("  PID   UID CMD\n  250 1048576 init\n", ["CONTEXT", "VUID"], () => [contextCell(100, "web"), "0"], [CONTEXT_WIDTH]);
    assert.equal(two, "  PID CONTEXT              VUID   UID CMD\n  250   100 web            0    1048576 init\n");
  });
});

describe("vserver status lines", () => {
  it("adds the number of processes and the uptime to util-vserver's first line", () => {
    assert.equal(runningStatusLines("web", 100, 3, 176.6), "Vserver 'web' is running at context '100'\nNumber of processes: 3\nUptime:              2m56s60\n");
  });
});

describe("vserver's leading options", () => {
  it("takes -s/--silent and -v/--verbose before NAME only", () => {
    assert.deepEqual(leadingOptions(["-s", "web", "status"]), { verbosity: "silent", rest: ["web", "status"] });
    assert.deepEqual(leadingOptions(["--verbose", "web", "start"]), { verbosity: "verbose", rest: ["web", "start"] });
    assert.deepEqual(leadingOptions(["web", "exec", "ls", "-v"]), { verbosity: "normal", rest: ["web", "exec", "ls", "-v"] });
  });
});

describe("exit codes", () => {
  it("are util-vserver's for an unknown server and distinct for every other outcome", () => {
    assert.equal(exitCodeOf("NOT_FOUND"), 5);
    assert.equal(exitCodeOf("WRONG_STATE"), EXIT.WRONG_STATE);
    assert.equal(exitCodeOf("BAD_REQUEST"), 2);
    assert.equal(exitCodeOf("KERNEL"), 1);
    const codes = Object.values(EXIT);
    assert.equal(new Set(codes).size, codes.length);
    assert.equal(EXIT.STOPPED, 3);
    assert.equal(EXIT.CANNOT_RUN, 125);
  });
});

describe("suexec's user lookup", () => {
  const passwd = "root:x:0:0:root:/root:/bin/sh\nwww:x:33:33:web:/var/www:/bin/false\nbroken:line\n";
  const group = "root:x:0:\nwww:x:33:\nlog:x:4:www,other\nadm:x:5:root\n";
  it("finds a user by name or id with its groups and home", () => {
    assert.deepEqual(parseGuestUser("www", passwd, group), { name: "www", uid: 33, gid: 33, groups: [33, 4], home: "/var/www" });
    assert.deepEqual(parseGuestUser("0", passwd, group), { name: "root", uid: 0, gid: 0, groups: [0, 5], home: "/root" });
  });
  it("takes an unknown number as itself and refuses an unknown name", () => {
    assert.deepEqual(parseGuestUser("1234", passwd, group), { name: "1234", uid: 1234, gid: 1234, groups: [], home: "/" });
    assert.equal(parseGuestUser("nobody", passwd, group), null);
    assert.equal(parseGuestUser("broken", passwd, group), null);
  });
});
