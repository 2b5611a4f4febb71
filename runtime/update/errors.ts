import { defineErrorCodes } from '../../protocols/errors.js';

/**
 * Why an update was refused or rolled back (docs/errors.md §Updates; docs/updates.md). Each is
 * logged and reported on `poles/{id}/events` as `update.refused` / `update.rolled-back`.
 * Signature, key power, audience and replay refusals keep their SP_MSG_* codes (docs/security.md).
 */
export const UpdateErrors = defineErrorCodes({
  SP_UPDATE_DOWNGRADE: { message: 'the manifest names a release older than the running one and is not signed with allowDowngrade' },
  SP_UPDATE_MIN_RUNNING: { message: 'the running release is older than the manifest\'s minRunning: install the intermediate release first' },
  SP_UPDATE_ARCH: { message: 'the package is built for another architecture than this pole\'s' },
  SP_UPDATE_FAILED_BEFORE: { message: 'this release was rolled back on this pole before: publish a fixed release under a new version' },
  SP_UPDATE_TOO_LARGE: { message: 'the package is larger than update.maxPackageBytes' },
  SP_UPDATE_NO_SPACE: { message: 'not enough free disk for the package, its unpacked release and update.reserveFreeMB' },
  SP_UPDATE_NO_SOURCE: { message: 'the manifest offers no source this pole can use (chunks over MQTT, or HTTPS with update.https enabled)' },
  SP_UPDATE_WINDOW_CLOSED: { message: 'the rollout window closed before the update could be installed' },
  SP_UPDATE_CHUNK_HASH: { message: 'a chunk did not match its hash in the manifest: dropped and fetched again' },
  SP_UPDATE_HASH: { message: 'the downloaded package does not match the manifest\'s SHA-256 or size: deleted, nothing installed' },
  SP_UPDATE_PACKAGE: { message: 'the package does not unpack, or its name, version or architecture differ from the manifest' },
  SP_UPDATE_ROLLED_BACK: { message: 'the new release did not become healthy (exited, crash-looped, hung or missed the gate): the previous one was restored' },
  SP_UPDATE_INTERNAL: { message: 'an update step failed unexpectedly (disk, permissions): logged; the running release is unchanged' },
});
export type UpdateErrorCode = keyof typeof UpdateErrors;
