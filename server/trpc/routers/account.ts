// Account procedures: sign-up (sign-in itself is next-auth's) and who am I.
import { z } from 'zod';
import { signUp } from '../../tenancy/accounts';
import { authedProcedure, publicProcedure, router } from '../init';
import { emailSchema, passwordSchema, personNameSchema } from '../schemas';

const accountSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), isOperator: z.boolean() });

export const accountRouter = router({
  signUp: publicProcedure
    .input(z.object({ email: emailSchema, name: personNameSchema, password: passwordSchema }))
    .output(accountSchema)
    .mutation(({ input }) => signUp(input)),

  me: authedProcedure.output(accountSchema).query(({ ctx }) => ctx.user),
});
