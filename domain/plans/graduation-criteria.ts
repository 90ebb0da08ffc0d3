import { GraduationSchema, type Graduation } from '../graduation';

/**
 * The shipped graduation criteria, after BRAC's graduation approach as Indonesia's programmes
 * use it: food security and a running business are mandatory; savings, several sources of
 * income, schooling and JKN cover weigh in. A household graduates at a readiness score of 70.
 */
export const graduationCriteria: Graduation = GraduationSchema.parse({
  readinessThreshold: 70,
  extensions: { max: 1, visits: 2 },
  // Where a plan has a manager approve: five working days (a working week) in the household's region.
  approval: { required: false, sla: 'P5D', slaDays: 'working' },
  // Six and twelve months after graduation, in weeks (an SLA never counts in months).
  afterGraduation: ['P26W', 'P52W'],
  criteria: [
    {
      key: 'meals',
      label: { id: 'Tidak ada hari tanpa makan dalam sebulan terakhir', en: 'No day without meals in the last month' },
      indicator: { type: 'number', unit: 'days', atMost: 0 },
      weight: 20,
      mandatory: true,
    },
    {
      key: 'savings',
      label: { id: 'Tabungan paling sedikit Rp 500.000', en: 'Savings of at least Rp 500.000' },
      indicator: { type: 'number', unit: 'rupiah', atLeast: 500_000 },
      weight: 20,
    },
    {
      key: 'income-sources',
      label: { id: 'Paling sedikit dua sumber penghasilan', en: 'At least two sources of income' },
      indicator: { type: 'number', unit: 'count', atLeast: 2 },
      weight: 20,
    },
    {
      key: 'children-in-school',
      label: { id: 'Semua anak usia 7–15 tahun bersekolah', en: 'Every child aged 7–15 in school' },
      indicator: { type: 'yes-no', expected: true },
      weight: 15,
    },
    {
      key: 'business',
      label: { id: 'Usaha yang dibiayai modal usaha mikro masih berjalan', en: 'The business the micro-capital supported still running' },
      indicator: {
        type: 'choice',
        choices: [
          { key: 'running', label: { id: 'Berjalan', en: 'Running' } },
          { key: 'paused', label: { id: 'Berhenti sementara', en: 'Paused' } },
          { key: 'closed', label: { id: 'Tutup', en: 'Closed' } },
        ],
        meets: ['running'],
      },
      weight: 15,
      mandatory: true,
    },
    {
      key: 'jkn',
      label: { id: 'Keluarga terdaftar JKN (jaminan kesehatan)', en: 'Household covered by JKN health insurance' },
      indicator: { type: 'yes-no', expected: true },
      weight: 10,
    },
  ],
});
