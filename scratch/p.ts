import { toE164, isValidE164, duplicateKey } from '../functions/domain/customers/normalise';
console.log(toE164('138 1234 5678','CN'), toE164('12345','CN'), toE164('+44 20 7946 0958','CN'), toE164('(201) 555-0123','US'), isValidE164('+8613812345678'), duplicateKey(' Li  Lei ', 'ACME'));
