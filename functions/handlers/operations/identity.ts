/** HTTP ↔ domain for the identity secret (admin API): its status, creating it, rotating it. */
import type { IdentityService } from '../../domain/customers/identity-service';
import type { Implementations } from '../../http/http-function';

type IdentityOperations = Pick<
  Implementations<'admin-api'>,
  'getIdentitySecret' | 'createIdentitySecret' | 'rotateIdentitySecret'
>;

export function identityOperations(identity: IdentityService): IdentityOperations {
  return {
    getIdentitySecret: async () => {
      const status = await identity.status();
      return { status: 200, body: status, headers: { etag: `"${status.version}"` } };
    },

    createIdentitySecret: async () => {
      const issued = await identity.create();
      return {
        status: 201,
        body: issued,
        headers: { etag: `"${issued.version}"`, location: '/v1/identity/secret' },
      };
    },

    rotateIdentitySecret: async ({ body, ifMatch }) => {
      const issued = await identity.rotate(body as Exclude<typeof body, string>, ifMatch);
      return { status: 200, body: issued, headers: { etag: `"${issued.version}"` } };
    },
  };
}
