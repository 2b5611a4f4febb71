/**
 * The common problems a passer-by can report in three touches (docs/screen.md §Behaviour). Built in,
 * so the message board works on a pole that never received a `feedback-categories` data set; the city
 * can replace the list with that data set (docs/datasets.md).
 */
import type { FeedbackCategoriesData } from '../../protocols/datasets.js';

export const DEFAULT_FEEDBACK_CATEGORIES: FeedbackCategoriesData = {
  categories: [
    {
      id: 'facilities', name: { zh: '设施损坏', en: 'Broken facilities' },
      problems: [
        { id: 'broken-seat', name: { zh: '座椅损坏', en: 'Broken seat' } },
        { id: 'railing', name: { zh: '护栏损坏', en: 'Damaged railing' } },
        { id: 'manhole', name: { zh: '井盖缺失或松动', en: 'Missing or loose manhole cover' } },
        { id: 'sign', name: { zh: '指示牌损坏', en: 'Damaged sign' } },
      ],
    },
    {
      id: 'lighting', name: { zh: '路灯照明', en: 'Street lighting' },
      problems: [
        { id: 'lamp-out', name: { zh: '路灯不亮', en: 'Lamp out' } },
        { id: 'lamp-day', name: { zh: '路灯白天常亮', en: 'Lamp on in daytime' } },
        { id: 'lamp-flicker', name: { zh: '路灯闪烁', en: 'Flickering lamp' } },
      ],
    },
    {
      id: 'sanitation', name: { zh: '环境卫生', en: 'Litter and cleanliness' },
      problems: [
        { id: 'litter', name: { zh: '垃圾堆积', en: 'Litter piling up' } },
        { id: 'bin-full', name: { zh: '垃圾桶满溢', en: 'Overflowing bin' } },
        { id: 'posters', name: { zh: '小广告乱贴', en: 'Illegal posters' } },
      ],
    },
    {
      id: 'roads', name: { zh: '道路交通', en: 'Roads and traffic' },
      problems: [
        { id: 'road-damage', name: { zh: '路面破损', en: 'Road damage' } },
        { id: 'flooding', name: { zh: '路面积水', en: 'Standing water' } },
        { id: 'signal', name: { zh: '信号灯故障', en: 'Traffic light fault' } },
        { id: 'parking', name: { zh: '车辆乱停放', en: 'Illegal parking' } },
      ],
    },
    {
      id: 'other', name: { zh: '其他', en: 'Other' },
      problems: [{ id: 'other', name: { zh: '其他问题（工作人员将联系核实）', en: 'Something else (staff will follow up)' } }],
    },
  ],
};
