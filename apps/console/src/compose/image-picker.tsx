import { ActionIcon, FileButton, Button, Group, Image, Paper, Stack, Text } from '@mantine/core';
import { memo, useEffect, useRef } from 'react';
import { useT } from '../i18n';
import { IMAGE_LIMITS, checkImageFile, type ImageProblem } from './image-check';

export interface PickedImage {
  file: File;
  url: string;
  width: number | null;
  height: number | null;
  problems: ImageProblem[];
}

async function pixelSize(file: File): Promise<{ width: number; height: number } | null> {
  if (typeof createImageBitmap !== 'function') return null;
  try {
    const bitmap = await createImageBitmap(file);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    return null;
  }
}

export async function inspectImage(file: File): Promise<PickedImage> {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  const size = await pixelSize(file);
  return {
    file,
    url: URL.createObjectURL(file),
    width: size?.width ?? null,
    height: size?.height ?? null,
    problems: checkImageFile(file, head, size),
  };
}

/** Up to 3 JPEG images with thumbnails; each is checked (type by content, size, pixels, name) when picked. */
export const ImagePicker = memo(function ImagePicker({
  images,
  onChange,
}: {
  images: PickedImage[];
  onChange: (images: PickedImage[]) => void;
}) {
  const t = useT();
  // thumbnails' object URLs are released when an image is removed, and the rest when the page goes
  const shown = useRef(images);
  shown.current = images;
  useEffect(() => () => shown.current.forEach((image) => URL.revokeObjectURL(image.url)), []);
  const add = async (files: File[]) => {
    const room = IMAGE_LIMITS.maxFiles - images.length;
    const picked = await Promise.all(files.slice(0, room).map(inspectImage));
    onChange([...images, ...picked]);
  };
  return (
    <Stack gap="xs">
      <Group>
        <FileButton onChange={(files) => void add(files)} accept="image/jpeg" multiple>
          {(props) => (
            <Button {...props} variant="default" disabled={images.length >= IMAGE_LIMITS.maxFiles}>
              {t('compose.addImages', { count: images.length, max: IMAGE_LIMITS.maxFiles })}
            </Button>
          )}
        </FileButton>
        <Text size="xs" c="dimmed">
          {t('compose.imageRules')}
        </Text>
      </Group>
      <Group>
        {images.map((image, index) => (
          <Paper key={image.url} withBorder p={4} w={140}>
            <Image src={image.url} alt={image.file.name} h={90} fit="contain" />
            <Text size="xs" truncate>
              {image.file.name}
            </Text>
            <Text size="xs" c="dimmed">
              {Math.ceil(image.file.size / 1024)} KB{image.width ? ` · ${image.width}×${image.height}` : ''}
            </Text>
            {image.problems.map((problem) => (
              <Text size="xs" c="red" key={problem.key} role="alert">
                {t(problem.key, problem.values)}
              </Text>
            ))}
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t('compose.removeImage', { name: image.file.name })}
              onClick={() => {
                URL.revokeObjectURL(image.url);
                onChange(images.filter((_, i) => i !== index));
              }}
            >
              ×
            </ActionIcon>
          </Paper>
        ))}
      </Group>
    </Stack>
  );
});
