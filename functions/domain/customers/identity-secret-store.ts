/** The port the identity services need from storage. */
import type { IdentitySecrets } from './identity-secret';

export interface IdentitySecretStore {
  /** Strongly consistent: a secret just created or rotated is what the next read sees. */
  get(): Promise<IdentitySecrets | undefined>;
  /**
   * Writes `next` if the stored version is still `expectedVersion` (undefined: nothing stored yet);
   * otherwise throws `PreconditionFailedError`.
   */
  put(next: IdentitySecrets, expectedVersion: number | undefined): Promise<void>;
}
