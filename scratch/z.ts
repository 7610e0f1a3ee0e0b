import { z } from 'zod';
import { customerCreateSchema, customerPatchSchema, customerListQuerySchema } from '../functions/domain/customers/customer-schema';
console.log(customerCreateSchema.safeParse({ email: '  A@B.CO ', tags: ['a','a'] }));
console.log(JSON.stringify(customerCreateSchema.safeParse({ email: 'x', foo: 1 }).error?.issues));
console.log(customerListQuerySchema.parse({limit:'5'}));
console.log(JSON.stringify(z.toJSONSchema(customerCreateSchema, {io:'input', target:'draft-2020-12'})).slice(0,400));
console.log(JSON.stringify(z.toJSONSchema(customerPatchSchema, {io:'input'})).slice(0,300));
