-- Webhook events name their entity as the entities' descriptions do ('leads', 'contacts', 'companies', 'tasks',
-- 'lead_notes', ...), no longer as amoCRM's event log names one item ('lead', 'contact', 'company'): tasks and the
-- notes of three lists need names of their own. Pending events of the old names are renamed, so they are applied.
UPDATE amocrm_webhook_events SET entity_type = CASE entity_type
    WHEN 'lead' THEN 'leads' WHEN 'contact' THEN 'contacts' WHEN 'company' THEN 'companies' ELSE entity_type END
WHERE entity_type IN ('lead', 'contact', 'company');
