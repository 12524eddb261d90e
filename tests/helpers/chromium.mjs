// Launch options for Debian's Chromium: headless, no sandbox when running as root, and no
// background networking (this machine's network is closed, and the browser needs none).
import { existsSync } from "node:fs";

export function browserLaunchOptions() {
  const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync);
  if (!executablePath) throw new Error("Chromium is not installed (apt-get install chromium)");
  return {
    executablePath,
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  };
}
