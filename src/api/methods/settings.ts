import { z } from 'zod';
import { method } from '../method.js';
import { SettingKey, Settings } from '../schemas/settings.js';

export const SettingValue = z.object({ key: SettingKey, value: z.unknown() });

export const settingsMethods = {
  'settings.all': method({ input: z.object({}).strict(), output: Settings, summary: 'Every setting with its current value' }),
  'settings.get': method({
    input: z.object({ key: SettingKey }).strict(),
    output: SettingValue,
    summary: 'One setting by its dotted path',
  }),
  'settings.set': method({
    input: z
      .object({
        key: SettingKey,
        value: z.unknown(),
        /** The person confirmed a change that opens something (a range in the tenants' egress fence); refused without. */
        confirm: z.boolean().optional(),
      })
      .strict(),
    output: SettingValue,
    summary: 'Change one setting by its dotted path (validated; nothing is written when it is wrong; opening the egress fence needs confirm)',
  }),
  'settings.setMany': method({
    input: z
      .object({
        changes: z.array(z.object({ key: SettingKey, value: z.unknown() }).strict()).min(1).max(50),
        /** As for settings.set: the person confirmed a change that opens the tenants' egress fence. */
        confirm: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ changes: z.array(SettingValue) }),
    summary: 'Change several settings together, in order: the result is validated as a whole and written once, or nothing is written (each value answered as stored)',
  }),
  'settings.problems': method({
    input: z.object({}).strict(),
    output: z.object({ problems: z.array(z.string()) }),
    summary: 'What was wrong with settings.json when this agent read it: each field reset to its default, or the whole file set aside and where it is kept (empty when nothing)',
  }),
} as const;
