"use client";
/** The admin's SMTP server (e-mail notifications, password links) and usage settings. */
import { ActionForm, FormField, SubmitButton } from "@/components/ui/form";
import { saveMailSettingsAction, saveUsageSettingsAction } from "@/lib/actions/notifications/notification-actions";

/** Current values (no password: it is never sent back to a browser). */
export interface AdminSettingsValues {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  from: string;
  publicUrl: string;
  startDay: number;
  allowPrivateWebhooks: boolean;
  rescueMinutes: number;
}

/** Both forms. */
export function AdminSettingsForms({ v }: { v: AdminSettingsValues }) {
  return (
    <div className="space-y-8">
      <ActionForm action={saveMailSettingsAction} resetOnSuccess={false} testId="mail-settings-form">
        <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
          <FormField label="SMTP server" name="host" defaultValue={v.host} placeholder="mail.example.com" hint="Empty: no e-mail is sent." />
          <FormField label="Port" name="port" type="number" min={1} max={65535} defaultValue={String(v.port)} />
          <label className="flex items-center gap-2 self-end pb-2 text-sm">
            <input type="checkbox" name="secure" defaultChecked={v.secure} className="h-4 w-4" /> TLS from the start (port 465)
          </label>
          <FormField label="User" name="user" defaultValue={v.user} autoComplete="off" />
          <FormField label="Password" name="password" type="password" autoComplete="new-password" hint="Empty keeps the stored one." />
          <FormField label="From" name="from" type="email" required defaultValue={v.from} placeholder="panel@example.com" />
          <FormField label="Panel address for links" name="publicUrl" type="url" required defaultValue={v.publicUrl} placeholder="https://panel.example.com" />
        </div>
        <SubmitButton>Save e-mail settings</SubmitButton>
      </ActionForm>
      <ActionForm action={saveUsageSettingsAction} resetOnSuccess={false} testId="usage-settings-form">
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <FormField label="Billing month starts on day" name="startDay" type="number" min={1} max={28} defaultValue={String(v.startDay)} />
          <FormField label="Rescue mode ends by itself after (minutes)" name="rescueMinutes" type="number" min={1} max={1440} defaultValue={String(v.rescueMinutes)} />
          <label className="flex items-center gap-2 self-end pb-2 text-sm">
            <input type="checkbox" name="allowPrivateWebhooks" defaultChecked={v.allowPrivateWebhooks} className="h-4 w-4" /> Webhooks may reach private networks and this machine
          </label>
        </div>
        <SubmitButton>Save usage settings</SubmitButton>
      </ActionForm>
    </div>
  );
}
