package policy

// Seeds of the backup rules: each breaks what its rule checks in prod.
func init() {
	seeds["Backup.1"] = seed{mutate: func(m *mutable) { m.set(tBackupVault, "backups", "kmsKeyArn", nil) }}
	// The selection loses the tables and the instance.
	seeds["DynamoDB.4"] = seed{mutate: func(m *mutable) { m.set(tBackupSelection, "backups", "resources", []any{}) }}
	seeds["RDS.26"] = seed{mutate: func(m *mutable) { m.drop(tBackupSelection, "backups") }}
	seeds["KMS.4"] = seed{mutate: func(m *mutable) { m.set(tKMSKey, "backups", "enableKeyRotation", false) }}
	seeds["PP.BACKUP.1"] = seed{mutate: func(m *mutable) { m.set(tBackupVault, "backups", "forceDestroy", true) }}
}
